-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
--
-- Host: db    Database: moodle
-- ------------------------------------------------------

LOCK TABLES `mdl_user_private_key` WRITE;
INSERT INTO `mdl_user_private_key` VALUES (14,'rss','98d1a32316d8dd2ac2ce61609ce007c1',233,NULL,'',0,1717000000),(15,'core_files','6b6863edf9a1f5384f5c47bf488c20cd',233,NULL,'',0,1717000500);
UNLOCK TABLES;
