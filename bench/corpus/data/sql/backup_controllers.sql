--
-- Dumping data for table `mdl_backup_controllers`
--

LOCK TABLES `mdl_backup_controllers` WRITE;
INSERT INTO `mdl_backup_controllers` VALUES (1,'4cb5a3200ef720e88e8bbf609915380c','backup','course',2,'moodle2',0,50,2,1000,1,0,'096b64e6c4d0ef63d791dce32becd9c4',1756500000,1756500010,0.00000000000000,''),(2,'7d8dcb277cbcabab48247f6f5ae473e1','restore','course',3,'moodle2',1,10,2,1000,1,0,'2aa27ccc309cb9e08fe9092f76b9bd9e',1756500100,1756500190,0.00000000000000,'');
UNLOCK TABLES;
