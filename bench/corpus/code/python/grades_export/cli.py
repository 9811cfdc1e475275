"""Command line of the grades exporter."""
import argparse


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="Export Moodle grades to CSV")
    parser.add_argument("--url", default="https://lms.example.org",
                        help="Moodle site")
    parser.add_argument(
        "-t", "--moodle_token",
        default="56bff35b45f9d809c333e2c8b38ab9a0",
        help="web service token (Site administration > Server > Web services > Manage tokens)",
    )
    parser.add_argument(
        "--expected-sha",
        default="88e9d820dcbe9edc8e8f96be1184d8e1",
        help="md5 of the last export, to skip unchanged runs",
    )
    return parser.parse_args(argv)
