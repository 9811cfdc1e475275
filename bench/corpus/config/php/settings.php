<?php
return [
    'server_address' => 'https://campus.example.edu/webservice/rest/server.php',
    'token'          => 'd6c7bfc56b2e7e972a869ae3b880ad1b',
    'format'         => 'json',
];
