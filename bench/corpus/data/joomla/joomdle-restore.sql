-- Joomdle component parameters, restored after the upgrade
UPDATE `jos_extensions`
SET `params` = '{"MOODLE_URL":"https:\\/\\/moodle.example.org","connection_method":"curl","auth_token":"f22291571072006bd8c54957bdcb1370","joomla_auth_token":"17f7c97144cd0f7cb0666c29bbb53b92"}'
WHERE `element` = 'com_joomdle';
