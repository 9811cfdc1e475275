<?php
return [
    'server_address' => 'https://campus.example.edu/webservice/rest/server.php',
    'token'          => '58d6695046f5b7c0708efe127a33fff3',
    'format'         => 'json',
];
