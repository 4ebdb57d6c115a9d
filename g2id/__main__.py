from g2id.cli import main

main()
