"""The site's configuration: `newsgen.yaml` read with line numbers (`yamlfile`, YAML 1.2 core
schema) into a frozen `Config` with its vocabularies of provinces and themes (`settings`).

May import: errors, text."""
