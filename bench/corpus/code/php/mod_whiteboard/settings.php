<?php
defined('MOODLE_INTERNAL') || die();

// API key of the external whiteboard SaaS (not a Moodle web-service token).
$settings->add(new admin_setting_configtext('mod_whiteboard/apikey',
    get_string('apikey', 'mod_whiteboard'),
    get_string('apikey_desc', 'mod_whiteboard'),
    '2a7425cabda9e1a58a72792ae6b97625',
    PARAM_ALPHANUM
));
$settings->add(new admin_setting_configtext('mod_whiteboard/url',
    get_string('url', 'mod_whiteboard'), '', 'https://board.example.io/', PARAM_URL));
