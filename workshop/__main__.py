from workshop.cli import main

main(prog_name="python -m workshop")
