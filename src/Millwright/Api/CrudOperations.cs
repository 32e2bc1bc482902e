namespace Millwright.Api;

/// <summary>A query string for a list: paging plus whatever filters the entity offers.</summary>
internal interface IListQuery
{
    int? Limit { get; }

    long? After { get; }
}

/// <summary>The five operations every registry entity offers, each inside a caller's session.</summary>
internal sealed record CrudOperations<TInput, TDto, TQuery>(
    Func<Session, TQuery, PageRequest, Task<Page<TDto>>> List,
    Func<Session, long, Task<TDto>> Get,
    Func<Session, TInput, Task<TDto>> Create,
    Func<Session, long, TInput, Task<TDto>> Update,
    Func<Session, long, Task> Delete)
    where TQuery : IListQuery;
