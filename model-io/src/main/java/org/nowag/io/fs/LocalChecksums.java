package org.nowag.io.fs;

import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;

/**
 * Hadoop's local file system (a {@link ChecksumFileSystem}) writes a hidden {@code .NAME.crc} beside every file it
 * creates. Those files are no part of a model folder: Hugging Face tools list them as unknown files, an edit of the
 * real file makes every later Hadoop read fail, and they break "the folder holds exactly the listed files". Writers
 * therefore go through the raw file system underneath. The cached, shared FileSystem instance is not changed (a
 * {@code setWriteChecksum(false)} on it would reach every other user of the JVM's cache); reads still verify a
 * checksum file where one exists.
 */
public final class LocalChecksums {
    private LocalChecksums() {}

    /** The file system to create files through: the raw one under a checksummed file system, else fs itself. */
    public static FileSystem writer(FileSystem fs) {
        return fs instanceof ChecksumFileSystem ? ((ChecksumFileSystem) fs).getRawFileSystem() : fs;
    }
}
