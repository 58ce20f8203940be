from clawcheck.cli import main

main()
