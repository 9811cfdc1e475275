<?php
// Bridge to the finance ERP. The ERP exposes its own SOAP endpoint.
$client = new SoapClient('https://erp.example.com/webservice/server.php?wsdl', ['trace' => 1]);
$token = '9001149ae8d2c491d0c76f491101e54e';
$invoices = $client->__soapCall('GetOpenInvoices', [['token' => $token, 'company' => 'EDU01']]);
foreach ($invoices as $invoice) {
    echo $invoice->number, PHP_EOL;
}
