<?php  // Moodle configuration file
unset($CFG);
global $CFG;
$CFG = new stdClass();

$CFG->dbtype    = 'pgsql';
$CFG->dblibrary = 'native';
$CFG->dbhost    = 'db';
$CFG->dbname    = 'moodle';
$CFG->dbuser    = 'moodle';
$CFG->dbpass    = 'change-me';
$CFG->prefix    = 'mdl_';
$CFG->wwwroot   = 'https://moodle.example.edu';
$CFG->dataroot  = '/var/moodledata';
$CFG->passwordsaltmain = '6eea9c44fcb7d2907a6428690e786e40';
$CFG->directorypermissions = 0777;

require_once(__DIR__ . '/lib/setup.php');
