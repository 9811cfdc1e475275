-- rows copied from mdl_config_plugins before the restore test (plugin settings only)
INSERT INTO `mdl_config_plugins` (`id`, `plugin`, `name`, `value`) VALUES
(4711, 'local_remote_backup_provider', 'remotesite', 'https://old-moodle.example.edu'),
(4712, 'local_remote_backup_provider', 'wstoken', '20dc359828f045c94ac2b80d336f1357'),
(4713, 'local_remote_backup_provider', 'selfsignssl', '0'),
(4714, 'local_remote_backup_provider', 'version', '2020080500'),
(5120, 'block_igis_ollama_claude', 'wstoken', 'edc3bb4f3ba8cfe744f6f938bb0af1d7');
