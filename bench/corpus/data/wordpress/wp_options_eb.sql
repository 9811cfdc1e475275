-- MySQL dump 10.13  Distrib 8.0.36
-- Host: localhost    Database: wp_academy

INSERT INTO `wp_options` (`option_id`, `option_name`, `option_value`, `autoload`) VALUES
(318, 'eb_connection', 'a:2:{s:6:"eb_url";s:30:"https://learn.academy-example.org";s:15:"eb_access_token";s:32:"a13fad293aa713801efd8f9ad3e7a919";}', 'yes'),
(319, 'eb_general', 'a:2:{s:18:"eb_useraccount_page";s:2:"14";s:13:"eb_ignore_ssl";s:2:"no";}', 'yes');
