<?php  // Moodle configuration file (excerpt)
unset($CFG);
global $CFG;
$CFG = new stdClass();

$CFG->wwwroot   = 'https://moodle.example.edu';
$CFG->dataroot  = '/var/moodledata';

// Web analytics (tool_webanalytics, Matomo): forced so that the values survive
// a database refresh from production.
$CFG->forced_plugin_settings['watool_matomo'] = [
    'url'    => 'https://stats.example.edu/',
    'siteid' => 7,
    'token'  => '1c353c7990df95c0860903a7cc0d8a5e',   // Matomo token_auth of the read-only "moodle-reports" user
];

require_once(__DIR__ . '/lib/setup.php');
