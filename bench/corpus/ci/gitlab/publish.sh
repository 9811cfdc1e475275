#!/usr/bin/env bash
# publish the Moodle plugin zip as a GitLab release asset
curl --fail --header "PRIVATE-TOKEN: glpat-Xy7kQm2vR9sT4wLp8nZb" \
  --upload-file local_gradesync.zip \
  "https://gitlab.example.edu/api/v4/projects/42/packages/generic/local_gradesync/1.4.0/local_gradesync.zip"
