from scast_cli.cli import main

main()
