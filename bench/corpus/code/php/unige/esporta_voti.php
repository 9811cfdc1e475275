<?php
require_once 'vendor/autoload.php';

// Esporta in CSV i voti del corso passato come argomento.
$moodle = new \UniGe\MoodleWSClient('https://aulaweb.example.it', 'e03a04b59586bf181d958f7e9d617d62');

$corso = (int) ($argv[1] ?? 0);
$voti = $moodle->gradereport_user_get_grade_items(['courseid' => $corso]);
foreach ($voti->usergrades as $studente) {
    echo $studente->userfullname, ';', count($studente->gradeitems), "\n";
}
