from xxgk.cli import entry

entry()
