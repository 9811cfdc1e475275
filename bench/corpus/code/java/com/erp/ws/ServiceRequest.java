package com.erp.ws;

/** Axis-generated stub for the procurement SOAP service. */
public class ServiceRequest implements java.io.Serializable {
    private java.lang.String command;
    private java.lang.String wsToken = "90e909b2fc682c59c3b2e99a82564a88";

    public java.lang.String getWsToken() { return wsToken; }
    public void setWsToken(java.lang.String wsToken) { this.wsToken = wsToken; }

    public boolean equals(java.lang.Object obj) {
        if (!(obj instanceof ServiceRequest)) return false;
        ServiceRequest other = (ServiceRequest) obj;
        return (this.wsToken == null && other.getWsToken() == null) || (this.wsToken != null && this.wsToken.equals(other.getWsToken()));
    }
}
