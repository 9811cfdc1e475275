"""Nightly wrapper around the Moodle grades export (see args_parser.py for the options)."""
import subprocess
import sys


def main() -> int:
    cmd = [sys.executable, "-m", "moodle_export", "--url", "https://lms.example.org",
           "--moodle_token",
           "d066bfc991db4f83a2b94472f62040e7",
           "--csv_path", "/srv/exports/grades.csv"]
    return subprocess.run(cmd, check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main())
