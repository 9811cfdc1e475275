-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
--
-- Host: localhost    Database: moodle
-- ------------------------------------------------------
/*!40101 SET NAMES utf8mb4 */;

--
-- Table structure for table `mdl_external_tokens`
--

DROP TABLE IF EXISTS `mdl_external_tokens`;
CREATE TABLE `mdl_external_tokens` (
  `id` bigint NOT NULL AUTO_INCREMENT,
  `token` varchar(128) NOT NULL DEFAULT '',
  `privatetoken` varchar(64) DEFAULT NULL,
  `tokentype` smallint NOT NULL,
  `userid` bigint NOT NULL,
  `externalserviceid` bigint NOT NULL,
  `sid` varchar(128) DEFAULT NULL,
  `contextid` bigint NOT NULL,
  `creatorid` bigint NOT NULL DEFAULT '1',
  `iprestriction` varchar(255) DEFAULT NULL,
  `validuntil` bigint DEFAULT NULL,
  `timecreated` bigint NOT NULL,
  `lastaccess` bigint DEFAULT NULL,
  `name` varchar(255) DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

--
-- Dumping data for table `mdl_external_tokens`
--

LOCK TABLES `mdl_external_tokens` WRITE;
INSERT INTO `mdl_external_tokens` VALUES (1,'70c940ff00f7dabbf7f30cde4b27f1a7','Nelbr2yuvYhPUcd9NYppfMx5WIoOi2oR26EGLoNZ4xjLJfrrD6aHpu73Kdl5UymC',0,2,1,NULL,1,2,NULL,0,1730100000,1730200000,'Webservice-aB3dE'),(2,'ef88c5da3c92f68c0da8237720a31f89',NULL,0,7,3,NULL,1,2,NULL,0,1730300000,NULL,'Webservice-Qw9Rt');
UNLOCK TABLES;
