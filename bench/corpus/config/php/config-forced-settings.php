<?php  // Moodle configuration file

unset($CFG);
global $CFG;
$CFG = new stdClass();

$CFG->dbtype    = 'pgsql';
$CFG->dblibrary = 'native';
$CFG->dbhost    = 'db.internal';
$CFG->dbname    = 'moodle';
$CFG->prefix    = 'mdl_';
$CFG->wwwroot   = 'https://moodle.eastfield-trust.example';
$CFG->dataroot  = '/var/moodledata';

// Completion data goes to the trust's reporting hub (a second Moodle site).
// Forced here so that school admins cannot change it. (JK, 2024-01)
$CFG->forced_plugin_settings = [
    'local_hubpush' => [
        'hubwwwroot' => 'https://hub.eastfield-trust.example',
        'hubtoken'   => '5317066925d49ad9d5b33300c1d757d1',
    ],
    'theme_boost' => [
        'scsspre' => '',
    ],
];

// Session cookie hardening.
$CFG->csrftoken = '4a8640f2709d2d3cd14013780f2049a5';

require_once(__DIR__ . '/lib/setup.php');
