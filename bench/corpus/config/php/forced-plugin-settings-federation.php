<?php  // Moodle configuration file

unset($CFG);
global $CFG;
$CFG = new stdClass();

$CFG->dbtype    = 'pgsql';
$CFG->wwwroot   = 'https://campus.example-college.ac.uk';
$CFG->dataroot  = '/var/lib/moodledata';

// Settings the admin pages must not change.
$CFG->forced_plugin_settings = [
    // Course shells come from the federation hub's Moodle (web service user svc_hub).
    'local_federationsync' => [
        'hubwwwroot' => 'https://hub.example-federation.ac.uk',
        'hubwstoken' => 'a682b3d75d80e87c3a2c9556b57e42b9',
        'pagesize'   => 200,
    ],
    // Google Analytics 4 (tool_webanalytics): the measurement protocol secret, Google's.
    'watool_ganalytics' => [
        'siteid'  => 'G-7Q2KX0PL3M',
        'token'   => '2eb814c43f82dc6851e83691d37b4b66',
    ],
];

require_once(__DIR__ . '/lib/setup.php');
