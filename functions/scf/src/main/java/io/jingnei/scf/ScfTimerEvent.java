package io.jingnei.scf;

/**
 * An SCF timer trigger's event, which scf-java-events lacks. Public fields named exactly as the
 * JSON keys, which start with capitals, so any deserialiser the runtime uses fills them.
 */
public final class ScfTimerEvent {
    public String Type;
    public String TriggerName;
    public String Time;
    public String Message;
}
