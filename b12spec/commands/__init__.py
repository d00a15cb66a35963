"""The CLI's commands, one module each; b12spec.cli registers them by name."""
