package io.jingnei.web;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;

/** HTTP calls to the running app as its callers make them: with a client key, an admin key, or nothing. */
final class Api {
    private Api() {
    }

    static RequestSpecification asClient() {
        return given().contentType("application/json").header("Authorization", "Bearer " + FakeUpstreamResource.CLIENT_KEY);
    }

    static RequestSpecification asAdmin() {
        return given().contentType("application/json").header("Authorization", "Bearer " + FakeUpstreamResource.ADMIN_KEY);
    }

    static RequestSpecification anonymous() {
        return given().contentType("application/json");
    }

    static Response post(String path, String body) {
        return asClient().body(body).post(path);
    }

    static Response admin(String path, String body) {
        return asAdmin().body(body).post(path);
    }
}
