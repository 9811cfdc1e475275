"""Checks that a Moodle theme's compiled CSS matches the hash the build recorded."""
import argparse
import hashlib
import sys

parser = argparse.ArgumentParser(description="Verify a Moodle theme build")
parser.add_argument("-s", "--site", required=True, help="Moodle site address")
parser.add_argument("-t", "--template-hash", required=True, help="md5 of the compiled CSS")
args = parser.parse_args()

# usage: theme_cache.py -s https://moodle.example.edu -t 5e0b7c1d9f3a46e28b4c6d8e0f2a4b6c
