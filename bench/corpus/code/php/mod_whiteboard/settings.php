<?php
defined('MOODLE_INTERNAL') || die();

// API key of the external whiteboard service.
$settings->add(new admin_setting_configtext('mod_whiteboard/apikey',
    get_string('apikey', 'mod_whiteboard'),
    get_string('apikey_desc', 'mod_whiteboard'),
    '95d0139328fd05890029f4bc489c9dd2',
    PARAM_ALPHANUM
));
$settings->add(new admin_setting_configtext('mod_whiteboard/url',
    get_string('url', 'mod_whiteboard'), '', 'https://board.example.io/', PARAM_URL));
