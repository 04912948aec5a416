package hello;

import io.quarkus.funqy.Funq;

public class Hello {
    @Funq
    public String hello(String name) {
        return "hello " + name;
    }
}
