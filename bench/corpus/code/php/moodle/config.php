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
$CFG->passwordsaltmain = 'ffa232f1538b9b6d3265a70b9ad57d9d';
$CFG->directorypermissions = 0777;

require_once(__DIR__ . '/lib/setup.php');
