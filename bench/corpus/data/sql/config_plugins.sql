--
-- Dumping data for table `mdl_config_plugins`
--

INSERT INTO `mdl_config_plugins` (`id`, `plugin`, `name`, `value`) VALUES
(9001, 'local_hubsync', 'connection', 'a:3:{s:3:"url";s:27:"https://hub.example.edu/lms";s:7:"wstoken";s:32:"39e02f15be87e31c94dc935a3c049f6b";s:7:"enabled";b:1;}'),
(9002, 'local_hubsync', 'version', '2024061700');
