-- MySQL dump 10.13  Distrib 8.0.39, for Linux (x86_64)
--
-- Host: db-moodle    Database: moodle
-- ------------------------------------------------------

--
-- Table structure for table `mdl_local_remotebp_remotes`
--

DROP TABLE IF EXISTS `mdl_local_remotebp_remotes`;
CREATE TABLE `mdl_local_remotebp_remotes` (
  `id` bigint NOT NULL AUTO_INCREMENT,
  `name` varchar(255) NOT NULL DEFAULT '',
  `address` varchar(255) NOT NULL DEFAULT '',
  `token` varchar(255) NOT NULL DEFAULT '',
  `active` tinyint NOT NULL,
  `position` bigint NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

--
-- Dumping data for table `mdl_local_remotebp_remotes`
--

LOCK TABLES `mdl_local_remotebp_remotes` WRITE;
INSERT INTO `mdl_local_remotebp_remotes` VALUES (1,'Archive 2023','https://archive2023.moodle.example.edu','5d3ed2b0a5087dae48ce4c1024f56ae3',1,0),(2,'Partner college','https://moodle.partner.example.ac.uk','d869bde0bbb8d4986aef47cdd0b1ff8c',0,1);
UNLOCK TABLES;
