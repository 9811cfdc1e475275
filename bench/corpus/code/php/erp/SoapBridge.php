<?php
// Bridge to the finance ERP (not Moodle). The ERP exposes its own SOAP endpoint.
$client = new SoapClient('https://erp.example.com/webservice/server.php?wsdl', ['trace' => 1]);
$token = 'f49556e2184ca7f5124fcc8ef05ec1ca';
$invoices = $client->__soapCall('GetOpenInvoices', [['token' => $token, 'company' => 'EDU01']]);
foreach ($invoices as $invoice) {
    echo $invoice->number, PHP_EOL;
}
