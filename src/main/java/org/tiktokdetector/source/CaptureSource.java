package org.tiktokdetector.source;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.PendingSplitsCheckpoint;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.tiktokdetector.decode.DecodedLine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Bounded Flink source of the flow records in capture files (one {@link DecodedLine} each) (pcap or pcapng, each read whole by one
 * reader; folders are walked for files that are captures by content, see {@link CaptureFormat}). Event time is packet time: use
 * {@code WatermarkStrategy.<DecodedLine>forBoundedOutOfOrderness(...).withTimestampAssigner((d, t) -> d.timestamp)}.
 *
 * <p>A {@link FileSource} does the file listing, split assignment and checkpointing; this wraps it only
 * to give each reader's format the reader's metric group (a format is not given one), for the counters
 * capturePacketsRead, capturePacketsDecoded, capturePacketsSkipped and captureRecords. Each capture's
 * one-line summary is logged when it has been read. Restore is described in {@link CaptureBulkFormat}.
 */
public final class CaptureSource implements Source<DecodedLine, FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>>,
        ResultTypeQueryable<DecodedLine> {
    private static final long serialVersionUID = 1L;

    private final org.apache.flink.core.fs.Path[] paths;
    private final FileSource<DecodedLine> files;

    private CaptureSource(org.apache.flink.core.fs.Path[] paths) {
        this.paths = paths;
        this.files = build(new CaptureBulkFormat(null));
    }

    /** A source over these capture files and folders. */
    public static CaptureSource fileSource(List<Path> captures) {
        return new CaptureSource(captures.stream()
                .map(p -> new org.apache.flink.core.fs.Path(p.toAbsolutePath().toUri()))
                .toArray(org.apache.flink.core.fs.Path[]::new));
    }

    private FileSource<DecodedLine> build(CaptureBulkFormat format) {
        return FileSource.forBulkFileFormat(format, paths)
                .setFileEnumerator(() -> new NonSplittingRecursiveEnumerator(CaptureSource::folderOrCapture))
                .build();
    }

    /** Folders are walked; of the files in them, only captures (by content) are read. */
    private static boolean folderOrCapture(org.apache.flink.core.fs.Path path) {
        try {
            FileSystem fs = path.getFileSystem();
            if (fs.getFileStatus(path).isDir()) {
                return !path.getName().startsWith(".");
            }
            try (FSDataInputStream in = fs.open(path)) {
                byte[] head = new byte[4];
                int n = in.read(head);
                return n == 4 && CaptureFormat.isCaptureMagic(head);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + " to tell whether it is a capture", e);
        }
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<DecodedLine, FileSourceSplit> createReader(SourceReaderContext context) throws Exception {
        return build(new CaptureBulkFormat(new CaptureCounters(context.metricGroup()))).createReader(context);
    }

    @Override
    public SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>> createEnumerator(
            SplitEnumeratorContext<FileSourceSplit> context) throws Exception {
        return files.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>> restoreEnumerator(
            SplitEnumeratorContext<FileSourceSplit> context, PendingSplitsCheckpoint<FileSourceSplit> checkpoint)
            throws Exception {
        return files.restoreEnumerator(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<FileSourceSplit> getSplitSerializer() {
        return files.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<PendingSplitsCheckpoint<FileSourceSplit>> getEnumeratorCheckpointSerializer() {
        return files.getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<DecodedLine> getProducedType() {
        return DecodedLineType.INSTANCE;
    }
}
