<?php
defined('MOODLE_INTERNAL') || die();

if ($hassiteconfig) {
    $settings = new admin_settingpage('local_bugtracker', get_string('pluginname', 'local_bugtracker'));
    $settings->add(new admin_setting_configtext('local_bugtracker/apitoken',
        'Bugsnag project token', 'Used to report PHP errors of this site.', 'ff8055e4de22f92db1e6523800e34fea'));
    $ADMIN->add('localplugins', $settings);
}
