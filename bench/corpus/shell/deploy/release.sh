#!/bin/bash
set -e
# verify the downloaded Moodle release before unpacking
MOODLE_TGZ=moodle-latest-405.tgz
echo "7449890710be71a49d70d544f00bbf44  ${MOODLE_TGZ}" | md5sum -c -
echo "0e6584bdb6dda843af3466cbc7f091acca04bf58bf8fdc2c8d6d350d53057be3  ${MOODLE_TGZ}" | sha256sum -c -
tar -xzf "$MOODLE_TGZ" -C /var/www
php /var/www/moodle/admin/cli/upgrade.php --non-interactive
