"""The OEMM cockpit: work queues (queues.py), bulk actions (bulk.py), lists and exports, statistics, register."""
