#!/bin/bash
set -e
# verify the downloaded Moodle release before unpacking
MOODLE_TGZ=moodle-latest-405.tgz
echo "ded2242fac94ad26361e10239bac8917  ${MOODLE_TGZ}" | md5sum -c -
echo "16ac34158d78bc3e25382215283f29a012072ccbf44f17ac152401056e6e68af  ${MOODLE_TGZ}" | sha256sum -c -
tar -xzf "$MOODLE_TGZ" -C /var/www
php /var/www/moodle/admin/cli/upgrade.php --non-interactive
