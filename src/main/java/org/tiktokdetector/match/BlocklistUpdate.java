package org.tiktokdetector.match;

/**
 * One change to the list in force, as carried on the control stream: add (or replace) a rule, or
 * remove it. Every parallel matcher applies the same updates in the same order.
 */
public class BlocklistUpdate {
    public enum Op { ADD, REMOVE }

    public Op op;
    public BlocklistRule rule;

    public BlocklistUpdate() {}

    public BlocklistUpdate(Op op, BlocklistRule rule) {
        this.op = op;
        this.rule = rule;
    }

    public static BlocklistUpdate add(BlocklistRule rule) {
        return new BlocklistUpdate(Op.ADD, rule);
    }

    public static BlocklistUpdate remove(BlocklistRule rule) {
        return new BlocklistUpdate(Op.REMOVE, rule);
    }

    @Override
    public String toString() {
        return op + " " + rule;
    }
}
