#!/usr/bin/env python
"""Development entry point; operators use the installed `g2id` command instead."""

from g2id.cli import main

if __name__ == "__main__":
    main()
