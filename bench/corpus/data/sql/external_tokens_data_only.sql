-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
--
-- Host: 10.0.4.12    Database: moodle_prod
-- ------------------------------------------------------
-- Server version	8.0.36

/*!40101 SET NAMES utf8mb4 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;

--
-- Dumping data for table `mdl_external_tokens`
--

LOCK TABLES `mdl_external_tokens` WRITE;
/*!40000 ALTER TABLE `mdl_external_tokens` DISABLE KEYS */;
INSERT INTO `mdl_external_tokens` VALUES (3,'c96bebed77915e8964d62f168720687c','0AxeWNXYOXaHqD83COLR65Yvdt7NyBi5LiWejIPmtXuo8RBcLESPrMdEyaignUPh',0,1841,1,NULL,1,2,NULL,0,1727870400,1728474000,'Webservice-k2Pq9'),(4,'ab48338a96c059f079d25bf4f3a7e47a','gNYnj6YWBzpcykwzugda7yidc1FGcx5O1suFB5gZ19UHhhytTn1G2xK7cqZKXJ22',0,2290,1,NULL,1,2,NULL,0,1728001200,1728560400,'Webservice-Vn7Xa');
/*!40000 ALTER TABLE `mdl_external_tokens` ENABLE KEYS */;
UNLOCK TABLES;
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;

-- Dump completed on 2025-10-10  2:00:03
