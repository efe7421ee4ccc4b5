"""One module per ``kg`` subcommand; each defines ``register(subparsers)``."""
