"""CLI commands beyond ``evaluate``. Each module exposes ``COMMANDS``, a list of click commands;
b12spec.cli registers every module found here, so adding a command touches no other file."""
