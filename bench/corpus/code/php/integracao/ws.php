<?php
define('WS_SERVER_PATH', '/webservice/rest/server.php');
define('WS_TOKEN_PARAM', 'wstoken');
define('WS_FUNCTION_PARAM', 'wsfunction');

function moodle_params($function, array $args = []) {
    $params = $args;
    $params[WS_TOKEN_PARAM] = '682e1d49402a7d3d2890083a996d607b';
    $params[WS_FUNCTION_PARAM] = $function;
    $params['moodlewsrestformat'] = 'json';
    return $params;
}
