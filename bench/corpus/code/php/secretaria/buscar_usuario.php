<?php
// Busca um usuario no moodle pelo e-mail (script de apoio da secretaria)

//parametros passados ao webservice
$chave = '9a267f9e7cd121bd22ae29678e59def0'; //token de acesso ao webservice
$dominio = 'https://ead.example.edu.br/moodle'; //URL do moodle
$funcao = 'core_user_get_users_by_field';

$params = array('field' => 'email', 'values' => array($argv[1]));
$url = $dominio . '/webservice/rest/server.php?wstoken=' . $chave . '&wsfunction=' . $funcao . '&moodlewsrestformat=json';

$ch = curl_init($url);
curl_setopt($ch, CURLOPT_POSTFIELDS, http_build_query($params));
curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);
print_r(json_decode(curl_exec($ch)));
