/// Something the writer tells about appended rows: the narrow hook rules use.
///
/// Called with the writer's lock held, so it may append through ``StoreWriter/append(_:newFields:)``
/// itself (it is called again for those rows and must not recurse without end).
protocol AppendObserver: AnyObject {
    /// `groups` were logged to the WAL and buffered (they are acknowledged).
    func rowsAppended(_ groups: [(key: DeviceDay, rows: ColumnarRows)], by writer: StoreWriter) throws
    /// The writer is about to seal everything (flush or close): persist what must survive.
    func flushing(_ writer: StoreWriter) throws
}
