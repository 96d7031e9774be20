package org.tiktokdetector.aggregate;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.tiktokdetector.privacy.PersonalFields;
import org.tiktokdetector.privacy.PseudonymKey;
import org.tiktokdetector.privacy.Pseudonyms;
import org.tiktokdetector.records.Hit;

import java.nio.file.Path;

/**
 * Replaces a hit's identifiers with keyed pseudonyms ({@link PersonalFields}) right after its device is known, so
 * the window state, the violations, the late hits and every sink only ever see pseudonyms.
 *
 * <p>Flink writes this function into the job graph, which a cluster stores and which savepoints reference: it
 * therefore holds the key file's path and the key's fingerprint, never the key. Each task reads the key in
 * {@link #open} and refuses to run with a different key than the one the job was started with (a TaskManager whose
 * file differs would give other pseudonyms for the same device).
 */
public class PseudonymiseHits extends RichMapFunction<Hit, Hit> {
    private final String keyFile;
    private final String fingerprint;
    private transient Pseudonyms pseudonyms;

    /** @param key the key as checked where the job starts; only its fingerprint is kept */
    public PseudonymiseHits(Path keyFile, PseudonymKey key) {
        this.keyFile = keyFile.toString();
        this.fingerprint = key.fingerprint();
    }

    /** The key's fingerprint, for the run's first line and the records of which key made which pseudonyms. */
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public void open(OpenContext openContext) {
        PseudonymKey key = PseudonymKey.load(Path.of(keyFile));
        if (!key.fingerprint().equals(fingerprint)) {
            throw new IllegalStateException("the pseudonym key in " + keyFile + " on this TaskManager is key " + key.fingerprint()
                    + ", the job was started with key " + fingerprint + "; give every node the same key file");
        }
        pseudonyms = new Pseudonyms(key);
    }

    @Override
    public Hit map(Hit hit) {
        PersonalFields.pseudonymise(hit, pseudonyms);
        return hit;
    }
}
