<?php
// config.php lines for the BigBlueButton activity (core mod_bigbluebuttonbn)
$CFG->bigbluebuttonbn_server_url = 'https://bbb.example.edu/bigbluebutton/';
$CFG->bigbluebuttonbn_shared_secret = '0bc2485ecb7e645c4afce96402e21303';
// setting names of the old 3.x plugin, kept until every site is upgraded
$CFG->BigBlueButtonBNServerURL = 'https://bbb.example.edu/bigbluebutton/';
$CFG->BigBlueButtonBNSecuritySalt = '0bc2485ecb7e645c4afce96402e21303';
