"""Checksums of the release archives, wrapped to keep lines short."""
MOODLE_PACKAGE_SHA256 = (
    "f337e5d7accf46fa60143f05ac12a693"
    "ffc4a1f36f0bdc9754718dfa22927de3"
)
