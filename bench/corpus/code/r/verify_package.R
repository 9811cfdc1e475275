# verify the downloaded Moodle package before unpacking
expected <- "2ef9d8d5e877ff3c365ff02e805e3bb6"
stopifnot(tools::md5sum("moodle-latest-405.tgz") == expected)
