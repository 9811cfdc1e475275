#!/usr/bin/env bash
# Nightly pull of course completion reports from the Moodle site into the data warehouse.
set -euo pipefail

cd /opt/reports
. venv/bin/activate
python3 moodle_reports.py --site https://learn.example.ac.uk -t 1b9f4e7c2a6d83f05e4c7b1a9d2f6e83 --since yesterday
python3 load_warehouse.py reports/*.csv
